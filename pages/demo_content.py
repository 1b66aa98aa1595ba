"""Demo papers and summaries for seed_demo, written by us for this site.

Titles, authors, venues and identifiers are the papers' public bibliographic records; the
abstracts here are our own one-paragraph descriptions, and every summary is our writing.
FIGURE marks where a summary shows a figure that seed_demo draws and uploads.
"""

VENUES = [
    # short name, full name, dblp key
    ("NeurIPS", "Advances in Neural Information Processing Systems", "conf/nips"),
    ("ICLR", "International Conference on Learning Representations", "conf/iclr"),
    ("ICML", "International Conference on Machine Learning", "conf/icml"),
    ("CVPR", "IEEE Conference on Computer Vision and Pattern Recognition", "conf/cvpr"),
    ("JMLR", "Journal of Machine Learning Research", "journals/jmlr"),
]

PAPERS = [
    {
        "title": "Attention Is All You Need",
        "authors": ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit",
                    "Llion Jones", "Aidan N. Gomez", "Lukasz Kaiser", "Illia Polosukhin"],
        "year": 2017, "published_on": "2017-06-12", "venue": ("NeurIPS", 2017),
        "arxiv_id": "1706.03762", "bibtex_key": "conf/nips/VaswaniSPUJGKP17",
        "tags": ["cs.CL", "cs.LG", "transformers"],
        "abstract": "Proposes the Transformer, a sequence-to-sequence model that drops "
        "recurrence and convolution entirely and relies on stacked self-attention and "
        "position-wise feed-forward layers. It trains much faster than recurrent models "
        "because every position is processed in parallel, and it sets new best BLEU scores "
        "on WMT 2014 English-German and English-French translation.",
    },
    {
        "title": "Adam: A Method for Stochastic Optimization",
        "authors": ["Diederik P. Kingma", "Jimmy Ba"],
        "year": 2014, "published_on": "2014-12-22", "venue": ("ICLR", 2015),
        "arxiv_id": "1412.6980", "tags": ["cs.LG", "optimization"],
        "abstract": "Introduces Adam, a first-order optimizer that keeps exponential moving "
        "averages of the gradient and of its elementwise square, corrects their "
        "initialization bias, and scales each parameter's step by their ratio. It needs "
        "little tuning, is invariant to gradient rescaling, and is analysed in the online "
        "convex setting with a regret bound.",
    },
    {
        "title": "Deep Residual Learning for Image Recognition",
        "authors": ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"],
        "year": 2015, "published_on": "2015-12-10", "venue": ("CVPR", 2016),
        "arxiv_id": "1512.03385", "bibtex_key": "conf/cvpr/HeZRS16",
        "tags": ["cs.CV", "architectures"],
        "abstract": "Shows that very deep convolutional networks become easier to optimize "
        "when each block learns a residual added to an identity shortcut. Networks of over "
        "a hundred layers train without the degradation seen in plain networks, and an "
        "ensemble wins the ILSVRC 2015 classification task.",
    },
    {
        "title": "Auto-Encoding Variational Bayes",
        "authors": ["Diederik P. Kingma", "Max Welling"],
        "year": 2013, "published_on": "2013-12-20", "venue": ("ICLR", 2014),
        "arxiv_id": "1312.6114", "tags": ["stat.ML", "cs.LG", "variational inference"],
        "abstract": "Presents a stochastic variational inference algorithm for models with "
        "continuous latent variables that scales to large data sets. A reparameterization "
        "of the variational lower bound gives low-variance gradient estimates, and pairing "
        "the generative model with a learned recognition model yields the variational "
        "auto-encoder.",
    },
    {
        "title": "Denoising Diffusion Probabilistic Models",
        "authors": ["Jonathan Ho", "Ajay Jain", "Pieter Abbeel"],
        "year": 2020, "published_on": "2020-06-19", "venue": ("NeurIPS", 2020),
        "arxiv_id": "2006.11239", "tags": ["cs.LG", "stat.ML", "generative models"],
        "abstract": "Trains a generative model by learning to reverse a fixed Markov chain "
        "that gradually adds Gaussian noise to data. With a simple weighted objective that "
        "amounts to predicting the added noise, the samples reach image quality competitive "
        "with GANs on CIFAR-10 and LSUN.",
    },
    {
        "title": "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
        "authors": ["Nitish Srivastava", "Geoffrey E. Hinton", "Alex Krizhevsky",
                    "Ilya Sutskever", "Ruslan Salakhutdinov"],
        "year": 2014, "published_on": None, "venue": ("JMLR", 2014),
        "tags": ["regularization", "cs.LG"],
        "abstract": "Randomly removes units, with their connections, during training, so a "
        "network cannot rely on fragile co-adaptations; at test time the full network with "
        "scaled weights approximates averaging the exponentially many thinned networks. The "
        "paper reports gains across vision, speech and text benchmarks.",
    },
    {
        "title": "Learning to learn by gradient descent by gradient descent",
        "authors": ["Marcin Andrychowicz", "Misha Denil", "Sergio Gomez", "Matthew W. Hoffman",
                    "David Pfau", "Tom Schaul", "Nando de Freitas"],
        "year": 2016, "published_on": "2016-06-14", "venue": ("NeurIPS", 2016),
        "arxiv_id": "1606.04474", "tags": ["cs.NE", "cs.LG", "meta-learning"],
        "abstract": "Casts the design of an optimization algorithm as a learning problem: an "
        "LSTM reads gradients and proposes parameter updates, and is itself trained by "
        "gradient descent on the loss of the problems it optimizes.",
    },
    {
        "title": "Batch Normalization: Accelerating Deep Network Training by Reducing "
        "Internal Covariate Shift",
        "authors": ["Sergey Ioffe", "Christian Szegedy"],
        "year": 2015, "published_on": "2015-02-11", "venue": ("ICML", 2015),
        "arxiv_id": "1502.03167", "tags": ["cs.LG", "architectures"],
        "abstract": "Normalizes each layer's inputs over the mini-batch and follows the "
        "normalization with a learned scale and shift, which allows much higher learning "
        "rates, makes training less sensitive to initialization, and acts as a regularizer.",
    },
]  # fmt: skip

# (paper title prefix, author username, options, body)
SUMMARIES = [
    (
        "Attention Is All You Need",
        "lin_wei",
        {},
        r"""
# Very short
Replace recurrence with **attention everywhere**: every token looks at every other token in one step, so training parallelizes across the sequence.

# The core operation
Queries $Q$, keys $K$ and values $V$ are linear maps of the input. Scaled dot-product attention is
$$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}}\right) V$$
The $\sqrt{d_k}$ matters: for random unit-variance entries, $q \cdot k$ has variance $d_k$, and without the scaling the softmax saturates and its gradients vanish.

Multi-head attention runs $h$ of these in parallel on projections of size $d_k = d_{model}/h$ and concatenates the results, so the cost stays that of one full-width head.

# Position
Attention is permutation-invariant, so positions are added as sinusoids, $PE_{(pos, 2i)} = \sin(pos / 10000^{2i/d_{model}})$, which lets the model attend by relative offset through linear functions of the encoding.

# What I'd keep in mind
- The cost is $O(n^2 d)$ in sequence length $n$; for short sentences that is cheaper than a recurrent layer's $O(n d^2)$.
- The ablations in Table 3 are worth reading: single-head attention loses about 1 BLEU.
""",
    ),
    (
        "Attention Is All You Need",
        "sofia_m",
        {"is_anonymous": True},
        r"""
A reading for people who know RNN encoder-decoders but not this paper.

The encoder is six identical layers, each *self-attention* followed by a small MLP applied to every position, both wrapped as $x + \mathrm{Sublayer}(\mathrm{LayerNorm}(x))$ in most later implementations (the paper itself puts the norm after the residual sum)[^1]. The decoder adds a third sub-layer that attends over the encoder's output, and masks its own self-attention so position $i$ cannot see $j > i$.

Training details that made it work: label smoothing with $\epsilon_{ls} = 0.1$, and a learning rate that warms up linearly for 4000 steps, then decays as $\text{step}^{-1/2}$.

[^1]: Pre-norm versus post-norm is one of the most discussed details of the architecture since.
""",
    ),
    (
        "Adam: A Method for Stochastic Optimization",
        "ada_k",
        {},
        r"""
# The update
With gradient $g_t$, Adam keeps two moving averages and corrects their start-up bias:
$$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2$$
$$\hat m_t = \frac{m_t}{1-\beta_1^t}, \quad \hat v_t = \frac{v_t}{1-\beta_2^t}, \quad \theta_t = \theta_{t-1} - \alpha \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}$$

# Why the bias correction
Both averages start at zero, so early on they underestimate the moments by a factor $1-\beta^t$. With $\beta_2 = 0.999$ the second moment is too small for the first thousand or so steps, and without correction the effective step size would be far too **large** right when the loss surface is least known.

# In practice
The defaults $\alpha = 10^{-3}$, $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$ work surprisingly often. The step is bounded by roughly $\alpha$ per coordinate, which is what makes the method forgiving.

FIGURE

A caveat from later work: the convergence proof has a gap, and AMSGrad was proposed to fix it. In my experience the gap matters less than weight decay done right (AdamW).
""",
    ),
    (
        "Adam: A Method for Stochastic Optimization",
        "tomasz",
        {},
        r"""
Adam as a diagonal preconditioner: dividing by $\sqrt{\hat v_t}$ rescales each coordinate by an estimate of its gradient's root mean square, which is like a cheap, diagonal approximation of the curvature, except that it tracks $\mathbb{E}[g^2]$ rather than the Hessian. So a parameter whose gradients are small but consistent gets a relatively large step.

It costs about \$0 extra per step compared to momentum SGD, apart from one more buffer the size of the model.
""",
    ),
    (
        "Deep Residual Learning for Image Recognition",
        "lin_wei",
        {},
        r"""
# The observation
A 56-layer plain network has *higher training error* than a 20-layer one. That is not overfitting; the deeper net is simply harder to optimize, even though it could in principle copy the shallow one and set the extra layers to identities.

# The fix
Let a block learn a residual: $y = \mathcal{F}(x, \{W_i\}) + x$. If the identity is close to optimal, pushing $\mathcal{F}$ to zero is easier than learning an identity through a stack of nonlinear layers.

# Details worth remembering
- Bottleneck blocks ($1\times1$, $3\times3$, $1\times1$ convolutions) keep the 50/101/152-layer models affordable.
- When the shapes change, the shortcut is a strided $1\times1$ projection.
- The follow-up paper on identity mappings moves batch norm and ReLU before the convolutions, and the 1001-layer network trains.
""",
    ),
    (
        "Auto-Encoding Variational Bayes",
        "tomasz",
        {},
        r"""
# The bound
For data $x$ and latent $z$, with encoder $q_\phi(z \mid x)$ and decoder $p_\theta(x \mid z)$:
$$\log p_\theta(x) \ge \mathbb{E}_{q_\phi(z|x)}\left[\log p_\theta(x \mid z)\right] - D_{KL}\left(q_\phi(z \mid x) \,\|\, p(z)\right)$$

# The trick
Sampling $z \sim q_\phi$ blocks gradients with respect to $\phi$. Write instead $z = \mu_\phi(x) + \sigma_\phi(x) \odot \epsilon$ with $\epsilon \sim \mathcal{N}(0, I)$: the randomness moves into $\epsilon$, and $z$ becomes a differentiable function of $\phi$. The Monte Carlo gradient then has much lower variance than the score-function estimator.

For a Gaussian $q$ and a standard normal prior the KL term is closed form:
$$D_{KL} = \frac{1}{2} \sum_{j=1}^{J} \left(\mu_j^2 + \sigma_j^2 - \log \sigma_j^2 - 1\right)$$
""",
    ),
    (
        "Denoising Diffusion Probabilistic Models",
        "haruto",
        {},
        r"""
The forward process adds noise on a fixed schedule $\beta_1, \dots, \beta_T$; in closed form,
$$q(x_t \mid x_0) = \mathcal{N}\left(x_t; \sqrt{\bar\alpha_t}\, x_0, (1 - \bar\alpha_t) I\right), \qquad \bar\alpha_t = \prod_{s=1}^{t} (1 - \beta_s)$$
so any noise level can be sampled in one step during training.

The reverse process is learned. The paper's key simplification is to predict the noise $\epsilon$ rather than the mean, and to drop the weighting of the variational bound:
$$L_{\text{simple}} = \mathbb{E}_{t, x_0, \epsilon}\left[\left\| \epsilon - \epsilon_\theta\left(\sqrt{\bar\alpha_t} x_0 + \sqrt{1-\bar\alpha_t}\, \epsilon, t\right) \right\|^2\right]$$

FIGURE

Sampling takes $T = 1000$ network evaluations, which is the weakness later work (DDIM, distillation) attacks.
""",
    ),
    (
        "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
        "elena_v",
        {},
        r"""
During training each unit is kept with probability $p$; at test time all units are used and outgoing weights are multiplied by $p$, so each unit's expected input matches training. (Most code today does "inverted dropout": divide by $p$ during training and change nothing at test time.)

Why it regularizes, in the paper's words roughly: units cannot co-adapt, because any partner may be missing. For linear regression, dropout in expectation is exactly a ridge penalty scaled by the data's feature variances,
$$\mathbb{E}\left[\|y - (R * X) w\|^2\right] = \|y - pXw\|^2 + p(1-p)\,\|\Gamma w\|^2, \quad \Gamma = \mathrm{diag}(X^\top X)^{1/2},$$
which is a nice, concrete anchor for the intuition.
""",
    ),
    (
        "Learning to learn by gradient descent",
        "ada_k",
        {},
        r"""
The optimizer is a coordinatewise LSTM $m_\phi$ that maps each parameter's gradient to its update:
$$\theta_{t+1} = \theta_t + g_t, \qquad \begin{bmatrix} g_t \\ h_{t+1} \end{bmatrix} = m_\phi\left(\nabla_{\theta} f(\theta_t), h_t\right)$$
It is trained by unrolling $T$ steps and minimizing $\mathcal{L}(\phi) = \mathbb{E}_f\left[\sum_{t=1}^{T} w_t f(\theta_t)\right]$, ignoring second derivatives through $\nabla_\theta f$.

Sharing $\phi$ across coordinates keeps the optimizer small and makes it indifferent to the order of parameters. The learned optimizer beats hand-tuned ones on the tasks it was trained on, but generalizes poorly to much longer horizons, which is the honest limitation.
""",
    ),
    (
        "Batch Normalization",
        "dkim",
        {},
        r"""
For a mini-batch $\mathcal{B} = \{x_1, \dots, x_m\}$ of one activation:

```python
mu = x.mean(axis=0)
var = x.var(axis=0)
x_hat = (x - mu) / np.sqrt(var + eps)
y = gamma * x_hat + beta  # gamma and beta are learned
```

At inference the batch statistics are replaced by running averages. The "internal covariate shift" explanation has not aged well; later analyses argue that normalization mainly smooths the loss landscape, $\|\nabla \mathcal{L}\|$ becomes more predictable, which is why higher learning rates work.
""",
    ),
    (
        "Learning to learn by gradient descent",
        "omar_h",
        {"is_private": True},
        r"""
Notes for our reading group (private until I finish them).

- Read section 3 first, then the experiments.
- Question to discuss: does the LSTM learn something like momentum? Compare with $v_{t+1} = \mu v_t - \alpha \nabla f(\theta_t)$.
""",
    ),
]

# One later edit, to show revision history: (title prefix, username, new body).
EDITS = [
    ("Deep Residual Learning for Image Recognition", "lin_wei",
     "\n\n# Update\nThe ablation with projection shortcuts everywhere (option C) is only "
     "marginally better than identity shortcuts, so identity is the default."),
]  # fmt: skip

# Comments: (paper title prefix, summary author, commenter, body, index of the comment
# this one replies to in this list, or None).
COMMENTS = [
    ("Attention Is All You Need", "lin_wei", "tomasz",
     "Nice explanation of the $\\sqrt{d_k}$ scaling. Is the variance argument exact for "
     "learned projections, or only at initialization?", None),
    ("Attention Is All You Need", "lin_wei", "lin_wei",
     "Only at initialization, strictly. In practice layer norm keeps the scale close "
     "enough that the argument still guides the choice.", 0),
    ("Attention Is All You Need", "lin_wei", "haruto",
     "Worth adding that later work (e.g. query-key normalization) revisits exactly this.", 0),
    ("Adam: A Method for Stochastic Optimization", "ada_k", "elena_v",
     "The AdamW remark deserves its own paragraph: $L_2$ regularization and weight decay "
     "are *not* the same thing once the step is preconditioned.", None),
    ("Adam: A Method for Stochastic Optimization", "ada_k", "ada_k",
     "Agreed, I'll expand it. The short version: with Adam, the $L_2$ gradient gets divided "
     "by $\\sqrt{\\hat v_t}$ too, so heavily-updated weights are regularized less.", 3),
    ("Denoising Diffusion Probabilistic Models", "haruto", "dkim",
     "Do you know how much the cosine schedule changes sample quality compared to linear?",
     None),
    ("Deep Residual Learning for Image Recognition", "lin_wei", "priya",
     "The degradation plot is the most convincing figure in the paper.", None),
]  # fmt: skip

# Votes: (voter, paper title prefix, summary author, +1 or -1).
VOTES = [
    ("tomasz", "Attention Is All You Need", "lin_wei", 1),
    ("haruto", "Attention Is All You Need", "lin_wei", 1),
    ("ada_k", "Attention Is All You Need", "lin_wei", 1),
    ("dkim", "Attention Is All You Need", "sofia_m", 1),
    ("elena_v", "Adam: A Method for Stochastic Optimization", "ada_k", 1),
    ("tomasz", "Adam: A Method for Stochastic Optimization", "ada_k", 1),
    ("priya", "Adam: A Method for Stochastic Optimization", "ada_k", 1),
    ("ada_k", "Adam: A Method for Stochastic Optimization", "tomasz", 1),
    ("dkim", "Adam: A Method for Stochastic Optimization", "tomasz", -1),
    ("priya", "Deep Residual Learning for Image Recognition", "lin_wei", 1),
    ("lin_wei", "Denoising Diffusion Probabilistic Models", "haruto", 1),
    ("amelie", "Denoising Diffusion Probabilistic Models", "haruto", 1),
    ("tomasz", "Dropout", "elena_v", 1),
    ("ada_k", "Batch Normalization", "dkim", 1),
]

# Follows: (member, paper title prefix).
FOLLOWS = [
    ("tomasz", "Attention Is All You Need"),
    ("haruto", "Denoising Diffusion Probabilistic Models"),
    ("omar_h", "Learning to learn by gradient descent"),
]

# Moderation: a demo moderator, and a spammer whose comments members have flagged. The
# first spam comment's case is decided (so the public log has an entry); the second is
# waiting in the queue.
MODERATOR = "omar_h"
SPAMMER = ("gpu_deals_4u", "Cheap GPU deals", "Buy cloud GPUs at 90% off today.")
SPAM_COMMENTS = [
    ("Attention Is All You Need", "lin_wei",
     "Great summary!!! Train your transformer 10x cheaper with our GPU rental, link in bio."),
    ("Adam: A Method for Stochastic Optimization", "ada_k",
     "Adam is slow on our competitors' cards. Cheap GPUs here, limited offer."),
]  # fmt: skip
# (spam comment index, flagging member, reason, details)
SPAM_FLAGS = [
    (0, "tomasz", "spam", ""),
    (0, "haruto", "spam", "Same text under three summaries."),
    (1, "elena_v", "spam", ""),
    (1, "ada_k", "abuse", "Advertising on my summary."),
]
SPAM_DECISION = (0, "Advertising, not a comment on the summary.")
